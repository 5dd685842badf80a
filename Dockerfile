# superconv's command line as a container image, for `superconv submit kubernetes`. It copies the jars a host
# build made, so a pod runs what was built and tested here; neither the tests nor CI need Docker.
#
#   mvn -B package -DskipTests dependency:copy-dependencies -DincludeScope=runtime
#   docker build -t REGISTRY/superconv:TAG .
#
# For GPUs, build the CUDA natives (add -Pgpu to the mvn line) and use a base with CUDA 12.5 and cuDNN 9.3:
#
#   docker build --build-arg BASE=nvidia/cuda:12.5.1-cudnn-runtime-ubuntu22.04 -t REGISTRY/superconv:TAG-gpu .
ARG BASE=eclipse-temurin:17-jre
FROM ${BASE}
# A CUDA base has no Java; the Temurin base has one.
RUN if ! command -v java >/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
      && rm -rf /var/lib/apt/lists/*; \
    fi
COPY training/target/dependency/ /opt/superconv/lib/
COPY training/target/superconv-training-*.jar /opt/superconv/lib/
COPY docker/superconv /usr/local/bin/superconv
ENTRYPOINT ["superconv"]
CMD ["--help"]
