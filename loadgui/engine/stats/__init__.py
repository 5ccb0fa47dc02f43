"""Statistics: the recorder's columns, histograms, series, breakdowns and the Report."""
