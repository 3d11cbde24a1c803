"""Views of the experts app, one module per part; thin: parse, call a selector or a service, render."""
