# One image for web, worker and beat; docker-compose.yml picks the command.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
RUN useradd --create-home --uid 10001 claimwatch

COPY requirements/base.txt requirements/model.txt /app/requirements/
RUN pip install --require-hashes -r requirements/base.txt -r requirements/model.txt

COPY . /app
# collectstatic needs settings that pass the production checks; these values are build-only.
RUN DJANGO_DEBUG=false \
    DJANGO_SECRET_KEY=build-only-key-not-used-at-runtime-0123456789abcdefghijklmnop \
    DJANGO_ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput

USER claimwatch
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
