"""The figures and reading sentences of each chapter, one module per chapter notebook: what a
notebook's cell calls to draw its chart and fill its sentence from computed values."""
