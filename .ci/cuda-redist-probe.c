/* .ci/cuda-redist-check: opens each CUDA library by soname as TensorFlow does (dlopen, RTLD_NOW: every NEEDED
 * entry must resolve too) and prints "soname version path", the version from the library itself. Needs no GPU. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <string.h>

typedef int (*get_int)(int *);
typedef int (*get_property)(int, int *);
typedef int (*get_major_minor)(int *, int *);
typedef size_t (*get_size)(void);

static void *open_library(const char *soname) {
  void *handle = dlopen(soname, RTLD_NOW | RTLD_GLOBAL);
  if (handle == NULL) {
    printf("%s - %s\n", soname, dlerror());
  }
  return handle;
}

static void report(const char *soname, void *handle, const char *version) {
  struct link_map *map = NULL;
  dlinfo(handle, RTLD_DI_LINKMAP, &map);
  printf("%s %s %s\n", soname, version, map == NULL ? "?" : map->l_name);
}

/* MAJOR_VERSION, MINOR_VERSION, PATCH_LEVEL of libraryPropertyType */
static void by_property(const char *soname, const char *symbol) {
  void *handle = open_library(soname);
  if (handle == NULL) return;
  get_property get = (get_property) dlsym(handle, symbol);
  int part[3] = {-1, -1, -1};
  for (int i = 0; get != NULL && i < 3; i++) get(i, &part[i]);
  char version[64];
  snprintf(version, sizeof version, "%d.%d.%d", part[0], part[1], part[2]);
  report(soname, handle, version);
}

/* One size_t, major * 10000 + minor * 100 + patch (cublasLtGetVersion; cudnnGetVersion from cuDNN 9 on) */
static void by_size(const char *soname, const char *symbol) {
  void *handle = open_library(soname);
  if (handle == NULL) return;
  get_size get = (get_size) dlsym(handle, symbol);
  size_t v = get == NULL ? 0 : get();
  char version[64];
  snprintf(version, sizeof version, "%zu.%zu.%zu", v / 10000, v % 10000 / 100, v % 100);
  report(soname, handle, version);
}

int main(void) {
  char version[64];
  void *handle;
  if ((handle = open_library("libcudart.so.12")) != NULL) {
    int v = -1;
    get_int get = (get_int) dlsym(handle, "cudaRuntimeGetVersion");
    if (get != NULL) get(&v);
    snprintf(version, sizeof version, "%d.%d", v / 1000, v % 1000 / 10);
    report("libcudart.so.12", handle, version);
  }
  by_property("libcublas.so.12", "cublasGetProperty");
  by_size("libcublasLt.so.12", "cublasLtGetVersion");
  by_property("libcufft.so.11", "cufftGetProperty");
  by_property("libcusolver.so.11", "cusolverGetProperty");
  by_property("libcusparse.so.12", "cusparseGetProperty");
  by_size("libcudnn.so.9", "cudnnGetVersion");
  const char *major_minor[][2] = {{"libnvJitLink.so.12", "nvJitLinkVersion"}, {"libnvrtc.so.12", "nvrtcVersion"}};
  for (int i = 0; i < 2; i++) {
    if ((handle = open_library(major_minor[i][0])) != NULL) {
      int major = -1, minor = -1;
      get_major_minor get = (get_major_minor) dlsym(handle, major_minor[i][1]);
      if (get != NULL) get(&major, &minor);
      snprintf(version, sizeof version, "%d.%d", major, minor);
      report(major_minor[i][0], handle, version);
    }
  }
  if ((handle = open_library("libcupti.so.12")) != NULL) {
    report("libcupti.so.12", handle, "-");
  }
  return 0;
}
