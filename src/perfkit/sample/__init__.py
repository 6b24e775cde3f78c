"""Sample clients with planted patterns and flaws, for demos and tests (``perfkit sample``)."""

from perfkit.sample.generation import Sample, generate_sample
from perfkit.sample.writing import describe_sample, is_sample_folder, write_sample

__all__ = ["Sample", "describe_sample", "generate_sample", "is_sample_folder", "write_sample"]
