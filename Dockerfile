# Nuthatch's container image.
#
#   mvn -DskipTests package
#   podman build -t nuthatch .          (docker build works the same)
#
# The jar comes from the build context rather than from a Maven stage: a Maven stage needs a JDK
# image and Maven Central at build time, and our CI builds with neither a registry nor network
# inside the build (chart/image-test.sh). The image holds the launcher, the jar and Netty's native
# transport; bin/nuthatch-server sizes the heap from the container's memory limit and maxmemory.
#
# BASE: any image with a Java 17+ runtime on PATH, /bin/sh, awk and useradd. The default is the
# public Eclipse Temurin JRE; CI passes a Debian JRE image it makes itself (README, "Container
# image", says which to pick).
ARG BASE=eclipse-temurin:17-jre

FROM ${BASE}

# uid/gid 999, as Redis's and Valkey's images, so a PVC written by either is readable after a
# migration; a base that already has 999 keeps its names for it.
RUN set -eu; \
    getent group 999 >/dev/null || groupadd --system --gid 999 nuthatch; \
    getent passwd 999 >/dev/null || useradd --system --uid 999 --gid 999 --home-dir /data \
        --no-create-home --shell /usr/sbin/nologin nuthatch; \
    mkdir -p /data /etc/nuthatch; \
    chown 999:999 /data; \
    chmod 0750 /data

COPY --chmod=0755 bin/nuthatch-server /opt/nuthatch/bin/nuthatch-server
COPY --chmod=0644 image/nuthatch.conf /etc/nuthatch/nuthatch.conf
COPY --chmod=0755 server/target/native/ /opt/nuthatch/lib/
COPY --chmod=0644 server/target/nuthatch-server.jar /opt/nuthatch/nuthatch-server.jar
# The classes the server loads, archived for class data sharing by a start and stop of the server
# here (bin/nuthatch-server maps the archive at each start: faster starts and restarts).
COPY --chmod=0755 image/cds-archive.sh /opt/nuthatch/bin/cds-archive.sh
RUN /opt/nuthatch/bin/cds-archive.sh /opt/nuthatch/nuthatch-server.jar /opt/nuthatch/nuthatch-server.jsa

# NUTHATCH_DATA_DIR: where the launcher puts the data when neither a config file nor --dir says.
ENV NUTHATCH_JAR=/opt/nuthatch/nuthatch-server.jar \
    NUTHATCH_DATA_DIR=/data

USER 999:999
WORKDIR /data
VOLUME ["/data"]
# 6379: clients; 9121: the exporter's /metrics, /health and /ready.
EXPOSE 6379 9121
STOPSIGNAL SIGTERM

# Last, so that a new revision or date leaves the layers above cached.
ARG BASE
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="Nuthatch" \
      org.opencontainers.image.description="A Redis-protocol cache server for the JVM" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="${BASE}"

# Exec form: the launcher execs the JVM, which is then PID 1 and gets SIGTERM itself.
ENTRYPOINT ["/opt/nuthatch/bin/nuthatch-server"]
CMD ["/etc/nuthatch/nuthatch.conf"]
