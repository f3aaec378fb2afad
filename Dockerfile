# Two stages: build a wheel with the build tools, then install it into a slim image that runs
# as an unprivileged user. The knowledge folder is copied in as a default and is normally
# mounted from the host (docker-compose.yml) so admins' edits hot-reload.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 explainbot \
    && mkdir -p /data /app \
    && chown explainbot:explainbot /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
WORKDIR /app
COPY --chown=explainbot:explainbot knowledge ./knowledge
USER explainbot
ENV KNOWLEDGE_DIR=/app/knowledge \
    DATABASE_URL=sqlite+aiosqlite:////data/explainbot.db \
    HEALTH_HOST=0.0.0.0 \
    HEALTH_PORT=8080 \
    PYTHONUNBUFFERED=1
VOLUME ["/data"]
EXPOSE 3000 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["explainbot", "healthcheck"]
CMD ["explainbot", "run"]
