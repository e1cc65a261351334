"""Charts stage: the standard chart set — catalog, chart data, and drawing to PDF or PNG.

Importing this package (or `catalog`, `data`) does not import matplotlib: the slide renderer
reads ChartData to build native charts. Drawing lives in `render`, `draw`, `style`, `kinds`.
"""
