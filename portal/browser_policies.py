"""The security policies every page is served with (read by portal/settings.py); they depend on no
environment: the portal's pages load only their own static files and use none of the browser's powerful
features, wherever it is deployed."""

# Content-Security-Policy (django-csp): scripts and styles only from our own static files, never
# inline nor eval'd (htmx is told so in base.html; the SVG charts take their look from the
# stylesheet, never from a style attribute or element).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Permissions-Policy (django-permissions-policy): the portal uses none of the browser's powerful
# features, so no page (nor anything it could embed) may ask for them. Only names Chromium knows
# (it warns about the others; the browser tests fail on such a warning).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
