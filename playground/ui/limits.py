"""The ranges the controls offer, shared by the widgets and the command line."""

MIN_POINTS, MAX_POINTS = 10, 1000  # the points slider
MIN_RATE, MAX_RATE = 1e-5, 10.0  # the learning-rate slider (log scale)
MAX_LAYERS, MAX_NEURONS = 6, 16  # the network designer's sliders
MAX_SEED = 99_999  # the seed boxes of the data and of the weights
