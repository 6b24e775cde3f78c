"""perfkit: a workbench for performance-management consultants (绩效管理)."""

from perfkit.errors import DataError, PerfkitError, SettingsError, UsageError
from perfkit.findings import Finding

__version__ = "0.1.0"

__all__ = ["DataError", "Finding", "PerfkitError", "SettingsError", "UsageError", "__version__"]
