"""Client intake: read a client's HR exports, map them to the contract and validate them."""

from perfkit.intake.client import Client
from perfkit.intake.columns import KEYS, TABLE_COLUMNS, required_columns
from perfkit.intake.loading import load_client, read_client
from perfkit.intake.problems import RowNumbers
from perfkit.intake.validation import ValidationReport, validate_client

__all__ = [
    "KEYS",
    "TABLE_COLUMNS",
    "Client",
    "RowNumbers",
    "ValidationReport",
    "load_client",
    "read_client",
    "required_columns",
    "validate_client",
]
