"""Interactive workshops (ipywidgets): KPI weights, calibration, rewards and the 9-box."""

from perfkit.workshop.calibration import calibration_workshop
from perfkit.workshop.ninebox import ninebox_workshop
from perfkit.workshop.rewards import rewards_workshop
from perfkit.workshop.state import Memo, Workshop
from perfkit.workshop.weights import AttainmentMatrix, weights_workshop

__all__ = [
    "AttainmentMatrix",
    "Memo",
    "Workshop",
    "calibration_workshop",
    "ninebox_workshop",
    "rewards_workshop",
    "weights_workshop",
]
