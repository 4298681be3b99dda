"""Reports: reportlab documents rendered from domain data to PDF bytes."""
