# StageCoach as a container image, for Azure Container Apps or any other host.
# Build: docker build -t stagecoach .   Run: docker run -p 3978:3978 --env-file .env stagecoach
# (HOST=0.0.0.0 needs MicrosoftAppId: the bot refuses to listen publicly without authentication.)

# --- build: the pinned dependencies into a virtual environment ---------------------------------
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml constraints.txt README.md ./
COPY bot/ bot/
COPY dialogs/ dialogs/
COPY knowledge/ knowledge/
COPY cards/ cards/
RUN /opt/venv/bin/pip install -c constraints.txt .

# --- run: the virtual environment, the app, a user without privileges ----------------------------
FROM python:3.11-slim AS run
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOST=0.0.0.0 \
    PORT=3978 \
    STATE_STORE=sqlite:////data/state.db
RUN groupadd --system --gid 10001 stagecoach \
    && useradd --system --uid 10001 --gid stagecoach --no-create-home --shell /usr/sbin/nologin stagecoach \
    && mkdir /data && chown stagecoach:stagecoach /data
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY app.py ./
COPY bot/ bot/
COPY dialogs/ dialogs/
COPY knowledge/ knowledge/
COPY cards/ cards/
USER 10001:10001
EXPOSE 3978
VOLUME ["/data"]
# /healthz answers 200 when the state storage answers, 503 when it does not.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"3978\")}/healthz', timeout=4).status == 200 else 1)"]
CMD ["python", "app.py"]
