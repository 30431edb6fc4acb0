"""Files the app reads at run time (icons, the desktop entry), shipped as playground.resources."""
