"""UI: Qt item models fed with domain records (one per list)."""
