FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN SECRET_KEY=build-only SAFERPOL_TESTING=1 python manage.py collectstatic --noinput -v 0 \
    && useradd --create-home saferpol && mkdir -p /app/var /media && chown -R saferpol /app/var /media
USER saferpol
EXPOSE 8000
