# syntax=docker/dockerfile:1
# The PromptSentinel edge proxy (deploy/nginx) as an image: Debian's nginx with the Lua
# module and lua-cjson, nothing else.  From the repository root:
#   docker build -f deploy/docker/edge.Dockerfile -t promptsentinel/edge:0.1.0 .
#   docker run -p 8000:80 -e PROMPTSENTINEL_API_KEY=psk_... promptsentinel/edge:0.1.0
# Mount your own promptsentinel-edge.conf over /etc/nginx/promptsentinel-edge.conf to
# change the upstreams, failure mode or timeouts.
FROM debian:bookworm-slim
# DL3008: Debian's security updates replace exact versions; bookworm pins the series.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx libnginx-mod-http-lua lua-cjson \
 && rm -rf /var/lib/apt/lists/* \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log
COPY deploy/nginx/nginx.conf /etc/nginx/nginx.conf
COPY deploy/nginx/promptsentinel-edge.conf /etc/nginx/promptsentinel-edge.conf
COPY deploy/nginx/lua/ /etc/nginx/lua/
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
