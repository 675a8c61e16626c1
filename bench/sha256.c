/* sha256.c — SHA-256 over a 64 KiB buffer, n times, each round hashing the previous
 * digest into the buffer: 32-bit rotates, shifts, adds and big-endian byte handling. */
#include "kernel.h"

#define BUF_SIZE (64 * 1024)
static unsigned char buf[BUF_SIZE];

static const uint32_t K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void compress(uint32_t h[8], const unsigned char *p) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
           (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ROTR(w[i - 15], 7) ^ ROTR(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ROTR(w[i - 2], 17) ^ ROTR(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t S1 = ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25);
    uint32_t ch = (e & f) ^ (~e & g);
    uint32_t t1 = hh + S1 + ch + K[i] + w[i];
    uint32_t S0 = ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22);
    uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
    uint32_t t2 = S0 + maj;
    hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

static void sha256(const unsigned char *msg, uint32_t len, unsigned char out[32]) {
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  uint32_t i = 0;
  for (; i + 64 <= len; i += 64) compress(h, msg + i);
  unsigned char tail[128];
  uint32_t rest = len - i;
  k_memset(tail, 0, sizeof tail);
  k_memcpy(tail, msg + i, rest);
  tail[rest] = 0x80;
  uint32_t tail_len = rest + 9 <= 64 ? 64 : 128;
  uint64_t bits = (uint64_t)len * 8;
  for (int j = 0; j < 8; j++) tail[tail_len - 1 - j] = (unsigned char)(bits >> (8 * j));
  for (uint32_t j = 0; j < tail_len; j += 64) compress(h, tail + j);
  for (int j = 0; j < 8; j++) {
    out[4 * j] = (unsigned char)(h[j] >> 24);
    out[4 * j + 1] = (unsigned char)(h[j] >> 16);
    out[4 * j + 2] = (unsigned char)(h[j] >> 8);
    out[4 * j + 3] = (unsigned char)h[j];
  }
}

long long bench(int n) {
  uint32_t x = 12345;
  for (int i = 0; i < BUF_SIZE; i++) { x = x * 1103515245u + 12345u; buf[i] = (unsigned char)(x >> 16); }
  unsigned char digest[32];
  for (int rep = 0; rep < n; rep++) {
    sha256(buf, BUF_SIZE, digest);
    k_memcpy(buf + (rep * 32) % (BUF_SIZE - 32), digest, 32);
  }
  long long r = 0;
  for (int i = 0; i < 7; i++) r = (r << 8) | digest[i];
  return r;
}

/* check() hashes "abc" (3 bytes), so the first 7 digest bytes are known:
 * SHA-256("abc") = ba7816bf 8f01cf... = 52486384766616015 */
long long check(void) {
  unsigned char digest[32];
  unsigned char abc[3] = {'a', 'b', 'c'};
  sha256(abc, 3, digest);
  long long r = 0;
  for (int i = 0; i < 7; i++) r = (r << 8) | digest[i];
  return r;
}
