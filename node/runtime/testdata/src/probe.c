// Test guest for the worker runtime: argv[1] picks a behaviour, the rest are its arguments.
// Built by ../build.sh into ../probe.wasm with clang --target=wasm32-wasi.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IMPORT(module, name) __attribute__((import_module(module), import_name(name)))

IMPORT("blockless_memory", "memory_read") uint32_t memory_read(uint8_t *buf, uint32_t len, uint32_t *num);
IMPORT("blockless_memory", "env_var_read") uint32_t env_var_read(uint8_t *buf, uint32_t len, uint32_t *num);
IMPORT("blockless_http", "http_req") uint32_t http_req(const char *url, uint32_t url_len, const char *opts, uint32_t opts_len, uint32_t *handle, uint32_t *status);
IMPORT("blockless_http", "http_read_header") uint32_t http_read_header(uint32_t handle, const char *name, uint32_t name_len, uint8_t *buf, uint32_t buf_len, uint32_t *num);
IMPORT("blockless_http", "http_read_body") uint32_t http_read_body(uint32_t handle, uint8_t *buf, uint32_t buf_len, uint32_t *num);
IMPORT("blockless_http", "http_close") uint32_t http_close(uint32_t handle);
IMPORT("blockless_cgi", "cgi_list_exec") uint32_t cgi_list_exec(uint32_t *handle);
IMPORT("blockless_cgi", "cgi_list_read") uint32_t cgi_list_read(uint32_t handle, uint8_t *buf, uint32_t buf_len, uint32_t *num);
IMPORT("blockless_cgi", "cgi_open") uint32_t cgi_open(const char *params, uint32_t params_len, uint32_t *handle);
IMPORT("blockless_cgi", "cgi_stdin_write") uint32_t cgi_stdin_write(uint32_t handle, const char *buf, uint32_t buf_len, uint32_t *num);
IMPORT("blockless_cgi", "cgi_stdout_read") uint32_t cgi_stdout_read(uint32_t handle, uint8_t *buf, uint32_t buf_len, uint32_t *num);
IMPORT("blockless_cgi", "cgi_stderr_read") uint32_t cgi_stderr_read(uint32_t handle, uint8_t *buf, uint32_t buf_len, uint32_t *num);
IMPORT("blockless_cgi", "cgi_close") uint32_t cgi_close(uint32_t handle);

extern char **environ;
// Keeps allocations observable, so the optimizer cannot drop them.
volatile uintptr_t sink;

static uint32_t arg_int(int argc, char **argv, int index, uint32_t fallback) {
  return argc > index ? (uint32_t)strtoul(argv[index], NULL, 10) : fallback;
}

static void write_all(int fd, const uint8_t *data, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n <= 0) return;
    data += n;
    len -= (size_t)n;
  }
}

static int echo_stdin(void) {
  uint8_t buf[4096];
  ssize_t n;
  while ((n = read(0, buf, sizeof buf)) > 0) write_all(1, buf, (size_t)n);
  return 0;
}

// memory-stdin / env-json: one blockless_memory call into a buffer of the given size.
static int blockless_read(int env, uint32_t size) {
  uint8_t *buf = malloc(size + 1);
  uint32_t num = 0;
  uint32_t rc = env ? env_var_read(buf, size, &num) : memory_read(buf, size, &num);
  fprintf(stderr, "errno=%u num=%u\n", rc, num);
  write_all(1, buf, num);
  return 0;
}

static int http(int argc, char **argv) {
  const char *url = argv[2];
  const char *opts = argc > 3 ? argv[3] : "{\"method\":\"GET\",\"connectTimeout\":5,\"readTimeout\":5}";
  uint32_t handle = 0, status = 0;
  uint32_t rc = http_req(url, strlen(url), opts, strlen(opts), &handle, &status);
  printf("errno=%u status=%u\n", rc, status);
  if (rc != 0) return 0;

  uint8_t buf[1024];
  uint32_t num = 0;
  rc = http_read_header(handle, "content-type", 12, buf, sizeof buf, &num);
  printf("content-type=%.*s (errno %u)\n", (int)(rc == 0 ? num : 0), buf, rc);
  rc = http_read_header(handle, "x-missing", 9, buf, sizeof buf, &num);
  printf("x-missing errno=%u\n", rc);
  for (;;) {
    rc = http_read_body(handle, buf, sizeof buf, &num);
    if (rc != 0 || num == 0) break;
    fflush(stdout);
    write_all(1, buf, num);
  }
  printf("\nclose=%u again=%u\n", http_close(handle), http_close(handle));
  return 0;
}

// http-repeat URL N: N requests in one execution, printing each errno.
static int http_repeat(const char *url, uint32_t count) {
  const char *opts = "{}";
  for (uint32_t i = 0; i < count; i++) {
    uint32_t handle = 0, status = 0;
    uint32_t rc = http_req(url, strlen(url), opts, strlen(opts), &handle, &status);
    printf("%u ", rc);
    if (rc == 0) http_close(handle);
  }
  printf("\n");
  return 0;
}

static int cgi_list(void) {
  uint32_t handle = 0, num = 0;
  uint8_t buf[64];
  if (cgi_list_exec(&handle) != 0) return 1;
  while (cgi_list_read(handle, buf, sizeof buf, &num) == 0 && num > 0) write_all(1, buf, num);
  return (int)cgi_close(handle);
}

// infer: what the Allora inference function does, with a configurable read size.
static int infer(uint32_t read_size, int reads) {
  const char *arg = getenv("ALLORA_ARG_PARAMS");
  const char *topic = getenv("TOPIC_ID");
  const char *height = getenv("ALLORA_BLOCK_HEIGHT_CURRENT");
  const char *eval = getenv("ALLORA_BLOCK_HEIGHT_EVAL");
  char request[1024], length[32];
  snprintf(request, sizeof request,
           "{\"arguments\":[\"%s\"], \"topicid\":\"%s\", \"blockheight\":\"%s\", \"blockheighteval\":\"%s\"}",
           arg ? arg : "", topic ? topic : "", height ? height : "", eval ? eval : "");
  snprintf(length, sizeof length, "%zu\r\n", strlen(request));
  strcat(request, "\r\n");

  const char *params = "{\"command\":\"cgi-allora-infer\"}";
  uint32_t handle = 0, num = 0;
  uint32_t rc = cgi_open(params, strlen(params), &handle);
  if (rc != 0) {
    printf("error: no response from the inference extension (errno %u)\n", rc);
    return 0;
  }
  cgi_stdin_write(handle, length, strlen(length), &num);
  cgi_stdin_write(handle, request, strlen(request), &num);

  uint8_t *buf = malloc(read_size);
  for (int i = 0; i < reads; i++) {
    rc = cgi_stdout_read(handle, buf, read_size, &num);
    fprintf(stderr, "read %d: errno=%u num=%u\n", i, rc, num);
    if (rc != 0 || num == 0) break;
    write_all(1, buf, num);
  }
  rc = cgi_stderr_read(handle, buf, read_size, &num);
  if (rc == 0) write_all(2, buf, num);
  return (int)cgi_close(handle);
}

// cgi ALIAS ARG: an external extension with args and variables in both spellings.
static int cgi_external(const char *alias, const char *arg) {
  char params[512];
  snprintf(params, sizeof params,
           "{\"command\":\"%s\",\"args\":[\"%s\"],\"envs\":[{\"name\":\"GUEST_VAR\",\"value\":\"from-sdk\"},"
           "{\"env_name\":\"GUEST_VAR2\",\"env_val\":\"from-runtime\"}]}",
           alias, arg);
  uint32_t handle = 0, num = 0;
  uint32_t rc = cgi_open(params, strlen(params), &handle);
  printf("open errno=%u\n", rc);
  if (rc != 0) return 0;
  cgi_stdin_write(handle, "ping\n", 5, &num);
  uint8_t buf[100];
  while (cgi_stdout_read(handle, buf, sizeof buf, &num) == 0 && num > 0) write_all(1, buf, num);
  while (cgi_stderr_read(handle, buf, sizeof buf, &num) == 0 && num > 0) write_all(2, buf, num);
  printf("close=%u again=%u\n", cgi_close(handle), cgi_close(handle));
  return 0;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "hello";
  if (!strcmp(mode, "hello")) {
    printf("hello, world\n");
  } else if (!strcmp(mode, "args")) {
    for (int i = 0; i < argc; i++) printf("%s\n", argv[i]);
  } else if (!strcmp(mode, "environ")) {
    for (char **entry = environ; *entry; entry++) printf("%s\n", *entry);
  } else if (!strcmp(mode, "stdin")) {
    return echo_stdin();
  } else if (!strcmp(mode, "memory-stdin")) {
    return blockless_read(0, arg_int(argc, argv, 2, 4096));
  } else if (!strcmp(mode, "env-json")) {
    return blockless_read(1, arg_int(argc, argv, 2, 4096));
  } else if (!strcmp(mode, "bad-pointer")) {
    uint32_t num = 0;
    printf("memory_read=%u\n", memory_read((uint8_t *)0xfffffff0u, 64, &num));
    printf("http_req=%u\n", http_req((const char *)0xfffffff0u, 64, "{}", 2, &num, &num));
  } else if (!strcmp(mode, "exit")) {
    fprintf(stderr, "exiting\n");
    return (int)arg_int(argc, argv, 2, 0);
  } else if (!strcmp(mode, "trap")) {
    printf("before trap\n");
    fflush(stdout);
    __builtin_trap();
  } else if (!strcmp(mode, "loop")) {
    printf("looping\n");
    fflush(stdout);
    for (;;) sink++;
  } else if (!strcmp(mode, "alloc")) {
    // alloc N: allocate and touch N MiB; alloc with no N: until malloc fails, then abort.
    uint32_t limit = arg_int(argc, argv, 2, 0);
    uint32_t mib = 0;
    for (; limit == 0 || mib < limit; mib++) {
      uint8_t *block = malloc(1 << 20);
      if (block == NULL) {
        fprintf(stderr, "allocation failed after %u MiB\n", mib);
        abort();
      }
      memset(block, 1, 1 << 20);
      sink = (uintptr_t)block;
    }
    printf("allocated %u MiB\n", mib);
  } else if (!strcmp(mode, "flood")) {
    static uint8_t block[65536];
    memset(block, 'x', sizeof block);
    int fd = argc > 2 && !strcmp(argv[2], "stderr") ? 2 : 1;
    for (;;) write_all(fd, block, sizeof block);
  } else if (!strcmp(mode, "http")) {
    return http(argc, argv);
  } else if (!strcmp(mode, "http-repeat")) {
    return http_repeat(argv[2], arg_int(argc, argv, 3, 1));
  } else if (!strcmp(mode, "cgi-list")) {
    return cgi_list();
  } else if (!strcmp(mode, "infer")) {
    return infer(arg_int(argc, argv, 2, 65535), (int)arg_int(argc, argv, 3, 1));
  } else if (!strcmp(mode, "cgi")) {
    return cgi_external(argv[2], argc > 3 ? argv[3] : "");
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
  }
  return 0;
}
