# The portal's image: web (gunicorn), workers and beat (Celery), and the release job share it.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && fc-cache -f
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Static files with their manifest are part of the image, so a web process on any host serves them;
# the manifest does not depend on the secret key, which only exists at run time.
RUN python manage.py compilemessages --ignore=.venv \
    && DJANGO_ENV=production SECRET_KEY=image-build-only-not-a-secret-0123456789abcdef \
       python manage.py collectstatic --noinput -v0 \
    && useradd --create-home portal && mkdir -p var/media && chown -R portal var
USER portal
EXPOSE 8000
