/* fuzz_forwarded: libFuzzer harness for the trusted_proxies list and the
 * X-Forwarded-For reader (src/http/clients.c). The input's first line is
 * a proxies list, the rest a header value. Checks: parsing never writes
 * past its array and gives -1 or a count within it; a client found is a
 * NUL-terminated address that inet_pton reads and that occurs in the
 * header. */
#include "http/clients.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *in = malloc(size + 1);
    memcpy(in, data, size);
    in[size] = '\0';
    if (strlen(in) != size) {
        free(in);
        return 0;
    }
    char *nl = strchr(in, '\n');
    const char *xff = nl ? nl + 1 : "";
    if (nl)
        *nl = '\0';
    proxy_net nets[4];
    char err[256], out[64];
    int n = clients_parse_proxies(in, nets, 4, err, sizeof(err));
    if (n < -1 || n > 4)
        abort();
    if (n < 0)
        n = 0;
    if (clients_forwarded_for(nets, n, xff, out, sizeof(out))) {
        unsigned char a[16];
        if (memchr(out, '\0', sizeof(out)) == NULL || !strstr(xff, out))
            abort();
        if (inet_pton(AF_INET, out, a) != 1 && inet_pton(AF_INET6, out, a) != 1)
            abort();
    }
    free(in);
    return 0;
}
