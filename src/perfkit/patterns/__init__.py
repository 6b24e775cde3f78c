"""Performance patterns: explainable clusters, the 9-box and trends (绩效模式)."""

from perfkit.patterns.clusterer import PatternClusterer
from perfkit.patterns.discovery import DEFAULT_WEIGHTS, PatternResult, find_patterns
from perfkit.patterns.features import (
    FEATURES,
    PERSPECTIVES,
    FeatureSet,
    build_features,
    label_feature,
)
from perfkit.patterns.naming import (
    KINDS,
    NamingRules,
    classify_centre,
    describe_pattern,
    name_patterns,
)
from perfkit.patterns.ninebox import BOXES, NineBox, nine_box
from perfkit.patterns.trends import department_trends, pattern_trends, summarise_trends

__all__ = [
    "BOXES",
    "DEFAULT_WEIGHTS",
    "FEATURES",
    "KINDS",
    "PERSPECTIVES",
    "FeatureSet",
    "NamingRules",
    "NineBox",
    "PatternClusterer",
    "PatternResult",
    "build_features",
    "classify_centre",
    "department_trends",
    "describe_pattern",
    "find_patterns",
    "label_feature",
    "name_patterns",
    "nine_box",
    "pattern_trends",
    "summarise_trends",
]
