"""Training and evaluation of the rules engine's models (development only: needs scikit-learn)."""
