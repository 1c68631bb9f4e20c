// A CoreMark-like mixed integer workload (not CoreMark itself, same shape),
// C twin of ../coremark.ts: a linked list (find, reverse, merge sort), i16
// matrices (add/multiply by a constant, matrix x vector, matrix x matrix,
// bit fields) and a state machine scanning a text of numbers, each feeding
// a CRC-16 like CoreMark's crcu16. run(n): n iterations.
typedef unsigned u32;

static u32 crcu8(u32 data, u32 crc) {
  for (int i = 0; i < 8; i++) {
    u32 x16 = (data & 1) ^ (crc & 1);
    data >>= 1;
    if (x16 == 1) { crc ^= 0x4002; crc = (crc >> 1) | 0x8000; }
    else crc >>= 1;
  }
  return crc & 0xffff;
}
static u32 crcu16(u32 v, u32 crc) { return crcu8((v >> 8) & 0xff, crcu8(v & 0xff, crc)); }
static u32 crcu32(u32 v, u32 crc) { return crcu16(v >> 16, crcu16(v & 0xffff, crc)); }

// ---------------- list ----------------
#define NODES 200
typedef struct node { struct node *next; short data, idx; } node;
static node list[NODES];

static node *listInit(int seed) {
  for (int i = 0; i < NODES; i++) {
    list[i].next = i + 1 < NODES ? &list[i + 1] : 0;
    list[i].data = (short)(((seed ^ (i * 0x9e37)) * 31 + i) & 0x7fff);
    list[i].idx = (short)i;
  }
  return list;
}
static node *listFind(node *head, int value) {
  while (head && (head->data & 0xff) != value) head = head->next;
  return head;
}
static node *listReverse(node *head) {
  node *prev = 0;
  while (head) { node *n = head->next; head->next = prev; prev = head; head = n; }
  return prev;
}
static node *listSort(node *head, int byIdx) {
  for (int insize = 1;; insize *= 2) {
    node *p = head, *tail = 0;
    head = 0;
    int nmerges = 0;
    while (p) {
      nmerges++;
      node *q = p;
      int psize = 0;
      for (int i = 0; i < insize; i++) { psize++; q = q->next; if (!q) break; }
      int qsize = insize;
      while (psize > 0 || (qsize > 0 && q)) {
        node *e;
        if (psize == 0) { e = q; q = q->next; qsize--; }
        else if (qsize == 0 || !q) { e = p; p = p->next; psize--; }
        else if ((byIdx ? p->idx - q->idx : p->data - q->data) <= 0) { e = p; p = p->next; psize--; }
        else { e = q; q = q->next; qsize--; }
        if (tail) tail->next = e; else head = e;
        tail = e;
      }
      p = q;
    }
    tail->next = 0;
    if (nmerges <= 1) return head;
  }
}
static u32 listBench(int seed, u32 crc) {
  node *head = listInit(seed);
  for (int i = 0; i < 8; i++) {
    node *found = listFind(head, (seed + i * 37) & 0xff);
    crc = crcu16(found ? (u32)found->data : 0xffff, crc);
    head = listReverse(head);
  }
  head = listSort(head, 0);
  crc = crcu16((u32)head->data, crc);
  head = listSort(head, 1);
  int k = 0;
  for (node *p = head; p; p = p->next, k++) if ((k & 15) == 0) crc = crcu16((u32)p->data, crc);
  return crc;
}

// ---------------- matrix ----------------
#define M 16
static short matA[M * M], matB[M * M];
static int matC[M * M];

static u32 matrixSum(int clipval) {
  int tmp = 0, prev = 0, ret = 0;
  for (int i = 0; i < M * M; i++) {
    int cur = matC[i];
    tmp += cur;
    if (tmp > clipval) { ret += 10; tmp = 0; } else ret += cur > prev;
    prev = cur;
  }
  return (u32)ret & 0xffff;
}
static u32 matrixBench(int seed, u32 crc) {
  int v = seed | 1;
  for (int i = 0; i < M * M; i++) {
    v = (int)(((u32)v * 1103515245u + 12345u) & 0x7fffffff);
    matA[i] = (short)((v >> 8) & 0xff);
    matB[i] = (short)((v >> 16) & 0xff);
  }
  short val = (short)((seed & 0xff) | 1);
  for (int i = 0; i < M * M; i++) matA[i] = (short)(matA[i] + val);
  for (int i = 0; i < M * M; i++) matC[i] = matA[i] * val;
  crc = crcu16(matrixSum(0x7fff), crc);
  for (int i = 0; i < M; i++) {
    int s = 0;
    for (int j = 0; j < M; j++) s += matA[i * M + j] * matB[j * M];
    matC[i * M] = s;
  }
  crc = crcu16(matrixSum(0xfffff), crc);
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) {
      int s = 0;
      for (int k = 0; k < M; k++) s += matA[i * M + k] * matB[k * M + j];
      matC[i * M + j] = s;
    }
  crc = crcu16(matrixSum(0xffffff), crc);
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) {
      int s = 0;
      for (int k = 0; k < M; k++) {
        int t = matA[i * M + k] * matB[k * M + j];
        s += ((t >> 2) & 0xf) * ((t >> 5) & 0x7f);
      }
      matC[i * M + j] = s;
    }
  return crcu16(matrixSum(0xffffff), crc);
}

// ---------------- state machine ----------------
#define TEXT_LEN 512
static unsigned char text[TEXT_LEN];
static const char PATTERNS[] = "5012,1234,-874,+122,35.54400,.1234500,-110.700,+0.64400,5.500e+3,-.123e-2,-87e+832,+0.6e-12,T0.3e-1F,-T.T++Tq,1T3.4e4z,34.0e-T^,";
enum { START, INVALID, S1, INT, FLOAT, S2, EXP, SCI };
#define DIGIT(c) ((c) >= '0' && (c) <= '9')

static u32 stateBench(int seed, u32 crc) {
  const int plen = sizeof PATTERNS - 1;
  for (int i = 0; i < TEXT_LEN; i++) {
    u32 ch = (unsigned char)PATTERNS[i % plen];
    if (((i * 7 + seed) & 63) == 0 && ch != ',') ch ^= 1;
    text[i] = (unsigned char)ch;
  }
  u32 finals[8], transitions[8];
  for (int s = 0; s < 8; s++) finals[s] = transitions[s] = 0;
  int p = 0;
  while (p < TEXT_LEN) {
    int state = START;
    while (p < TEXT_LEN) {
      u32 ch = text[p++];
      if (ch == ',') break;
      int ns = state;
      switch (state) {
        case START: ns = DIGIT(ch) ? INT : (ch == '+' || ch == '-') ? S1 : ch == '.' ? FLOAT : INVALID; break;
        case S1: ns = DIGIT(ch) ? INT : ch == '.' ? FLOAT : INVALID; break;
        case INT: if (ch == '.') ns = FLOAT; else if (!DIGIT(ch)) ns = INVALID; break;
        case FLOAT: if (ch == 'E' || ch == 'e') ns = S2; else if (!DIGIT(ch)) ns = INVALID; break;
        case S2: ns = (ch == '+' || ch == '-') ? EXP : INVALID; break;
        case EXP: ns = DIGIT(ch) ? SCI : INVALID; break;
        case SCI: if (!DIGIT(ch)) ns = INVALID; break;
        default: break;
      }
      if (ns != state) transitions[state]++;
      state = ns;
      if (state == INVALID) {
        while (p < TEXT_LEN && text[p] != ',') p++;
        break;
      }
    }
    finals[state]++;
  }
  for (int s = 0; s < 8; s++) crc = crcu32(transitions[s], crcu32(finals[s], crc));
  return crc;
}

__attribute__((export_name("run"))) int run(int n) {
  u32 crc = 0;
  for (int i = 0; i < n; i++) {
    crc = listBench(i, crc);
    crc = matrixBench(i, crc);
    crc = stateBench(i, crc);
  }
  return (int)crcu16((u32)n, crc);
}
