# Cooperation-circle bot. Configure it with environment variables:
#   BOT_HOMESERVER, BOT_USER_ID, BOT_PASSWORD or BOT_ACCESS_TOKEN,
#   BOT_ALLOWED_INVITERS; optional BOT_CONFIG=/config/config.yaml.
# Everything the bot keeps lives in the /data volume. The prompts ship inside the package;
# to reword them, mount a copy of prompts/ and set BOT_PROMPTS_DIR to it.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml setup.py MANIFEST.in LICENSE README.md ./
COPY bot ./bot
COPY prompts ./prompts
COPY config ./config
COPY docs ./docs
RUN python -m venv /opt/venv && /opt/venv/bin/pip install .

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    BOT_DATA_DIR=/data \
    MPLCONFIGDIR=/tmp/matplotlib
RUN groupadd --system --gid 10001 bot \
    && useradd --system --uid 10001 --gid bot --home-dir /app --shell /usr/sbin/nologin bot \
    && mkdir -p /data /app \
    && chown bot:bot /data
COPY --from=build /opt/venv /opt/venv
COPY config/config.example.yaml /app/config.example.yaml
WORKDIR /app
USER bot
VOLUME ["/data"]
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
