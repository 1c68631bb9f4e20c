// A CoreMark-like mixed integer workload (not CoreMark itself, same shape):
//   list   - a linked list in linear memory: find, reverse, merge sort
//   matrix - i16 matrices: add/multiply by constant, matrix x vector,
//            matrix x matrix, bit-field extraction
//   state  - a state machine scanning a text of numbers (int/float/exp/bad)
// Each part feeds a CRC-16 like CoreMark's crcu16. run(n): n iterations;
// returns the final CRC with the iteration count mixed in.

// ---------------- CRC-16 (CoreMark's crcu8/crcu16) ----------------
function crcu8(data: u32, crc: u32): u32 {
  for (let i = 0; i < 8; i++) {
    let x16 = (data & 1) ^ (crc & 1);
    data >>= 1;
    if (x16 == 1) {
      crc ^= 0x4002;
      crc = (crc >> 1) | 0x8000;
    } else {
      crc >>= 1;
    }
  }
  return crc & 0xffff;
}
function crcu16(v: u32, crc: u32): u32 {
  crc = crcu8(v & 0xff, crc);
  return crcu8((v >> 8) & 0xff, crc);
}
function crcu32(v: u32, crc: u32): u32 {
  crc = crcu16(v & 0xffff, crc);
  return crcu16(v >> 16, crc);
}

// ---------------- list ----------------
// node: [next: u32][data: i16][idx: i16]  (8 bytes)
const NODES: i32 = 200;
const list = memory.data(NODES * 8);

@inline function next(p: u32): u32 { return load<u32>(p); }
@inline function setNext(p: u32, q: u32): void { store<u32>(p, q); }
@inline function data(p: u32): i32 { return <i32>load<i16>(p, 4); }
@inline function idx(p: u32): i32 { return <i32>load<i16>(p, 6); }

function listInit(seed: i32): u32 {
  let base = <u32>list;
  for (let i = 0; i < NODES; i++) {
    let p = base + <u32>(i * 8);
    setNext(p, i + 1 < NODES ? p + 8 : 0);
    let v = ((seed ^ (i * 0x9e37)) * 31 + i) & 0x7fff;
    store<i16>(p, <i16>v, 4);
    store<i16>(p, <i16>i, 6);
  }
  return base;
}

function listFind(head: u32, value: i32): u32 {
  while (head != 0 && (data(head) & 0xff) != value) head = next(head);
  return head;
}

function listReverse(head: u32): u32 {
  let prev: u32 = 0;
  while (head != 0) {
    let n = next(head);
    setNext(head, prev);
    prev = head;
    head = n;
  }
  return prev;
}

// Bottom-up merge sort of the list (as CoreMark's core_list_mergesort).
function listSort(head: u32, byIdx: bool): u32 {
  let insize = 1;
  while (true) {
    let p = head;
    head = 0;
    let tail: u32 = 0;
    let nmerges = 0;
    while (p != 0) {
      nmerges++;
      let q = p;
      let psize = 0;
      for (let i = 0; i < insize; i++) {
        psize++;
        q = next(q);
        if (q == 0) break;
      }
      let qsize = insize;
      while (psize > 0 || (qsize > 0 && q != 0)) {
        let e: u32;
        if (psize == 0) { e = q; q = next(q); qsize--; }
        else if (qsize == 0 || q == 0) { e = p; p = next(p); psize--; }
        else {
          let cmp = byIdx ? idx(p) - idx(q) : data(p) - data(q);
          if (cmp <= 0) { e = p; p = next(p); psize--; }
          else { e = q; q = next(q); qsize--; }
        }
        if (tail != 0) setNext(tail, e); else head = e;
        tail = e;
      }
      p = q;
    }
    setNext(tail, 0);
    if (nmerges <= 1) return head;
    insize *= 2;
  }
}

function listBench(seed: i32, crc: u32): u32 {
  let head = listInit(seed);
  for (let i = 0; i < 8; i++) {
    let found = listFind(head, (seed + i * 37) & 0xff);
    crc = crcu16(found != 0 ? <u32>data(found) : 0xffff, crc);
    head = listReverse(head);
  }
  head = listSort(head, false);
  crc = crcu16(<u32>data(head), crc);
  head = listSort(head, true);
  let p = head;
  let k = 0;
  while (p != 0) { if ((k & 15) == 0) crc = crcu16(<u32>data(p), crc); p = next(p); k++; }
  return crc;
}

// ---------------- matrix ----------------
const M: i32 = 16;
const matA = memory.data(M * M * 2);
const matB = memory.data(M * M * 2);
const matC = memory.data(M * M * 4);

@inline function a(i: i32, j: i32): i32 { return <i32>load<i16>(matA + ((i * M + j) << 1)); }
@inline function b(i: i32, j: i32): i32 { return <i32>load<i16>(matB + ((i * M + j) << 1)); }
@inline function setC(i: i32, j: i32, v: i32): void { store<i32>(matC + ((i * M + j) << 2), v); }
@inline function c(i: i32, j: i32): i32 { return load<i32>(matC + ((i * M + j) << 2)); }

function matrixSum(clipval: i32): u32 {
  let tmp = 0, prev = 0, ret = 0;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < M; j++) {
      let cur = c(i, j);
      tmp += cur;
      if (tmp > clipval) { ret += 10; tmp = 0; } else { ret += cur > prev ? 1 : 0; }
      prev = cur;
    }
  }
  return <u32>ret & 0xffff;
}

function matrixBench(seed: i32, crc: u32): u32 {
  let v = seed | 1;
  for (let i = 0; i < M * M; i++) {
    v = (v * 1103515245 + 12345) & 0x7fffffff;
    store<i16>(matA + (i << 1), <i16>((v >> 8) & 0xff));
    store<i16>(matB + (i << 1), <i16>((v >> 16) & 0xff));
  }
  let val = <i16>(seed & 0xff | 1);
  // add a constant
  for (let i = 0; i < M * M; i++) store<i16>(matA + (i << 1), load<i16>(matA + (i << 1)) + val);
  // multiply by a constant
  for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) setC(i, j, a(i, j) * <i32>val);
  crc = crcu16(matrixSum(0x7fff), crc);
  // matrix x vector (first column of B)
  for (let i = 0; i < M; i++) {
    let s = 0;
    for (let j = 0; j < M; j++) s += a(i, j) * b(j, 0);
    setC(i, 0, s);
  }
  crc = crcu16(matrixSum(0xfffff), crc);
  // matrix x matrix
  for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) {
    let s = 0;
    for (let k = 0; k < M; k++) s += a(i, k) * b(k, j);
    setC(i, j, s);
  }
  crc = crcu16(matrixSum(0xffffff), crc);
  // matrix x matrix on bit fields
  for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) {
    let s = 0;
    for (let k = 0; k < M; k++) {
      let t = a(i, k) * b(k, j);
      s += ((t >> 2) & 0xf) * ((t >> 5) & 0x7f);
    }
    setC(i, j, s);
  }
  crc = crcu16(matrixSum(0xffffff), crc);
  return crc;
}

// ---------------- state machine ----------------
const TEXT_LEN: i32 = 512;
const text = memory.data(TEXT_LEN);
const PATTERNS = "5012,1234,-874,+122,35.54400,.1234500,-110.700,+0.64400,5.500e+3,-.123e-2,-87e+832,+0.6e-12,T0.3e-1F,-T.T++Tq,1T3.4e4z,34.0e-T^,";

const START: i32 = 0, INVALID: i32 = 1, S1: i32 = 2, INT: i32 = 3, FLOAT: i32 = 4, S2: i32 = 5, EXP: i32 = 6, SCI: i32 = 7;

@inline function isDigit(ch: u32): bool { return ch >= 0x30 && ch <= 0x39; }

function stateBench(seed: i32, crc: u32): u32 {
  // fill the text with the patterns, some bytes corrupted by the seed
  let plen = PATTERNS.length;
  for (let i = 0; i < TEXT_LEN; i++) {
    let ch = <u32>PATTERNS.charCodeAt(i % plen);
    if (((i * 7 + seed) & 63) == 0 && ch != 0x2c) ch ^= 0x01;
    store<u8>(text + i, <u8>ch);
  }
  let finals = memory.data(8 * 4);
  let transitions = memory.data(8 * 4);
  memory.fill(finals, 0, 32);
  memory.fill(transitions, 0, 32);
  let p = 0;
  while (p < TEXT_LEN) {
    let state = START;
    while (p < TEXT_LEN) {
      let ch = <u32>load<u8>(text + p);
      p++;
      if (ch == 0x2c) break; // ','
      let ns = state;
      switch (state) {
        case START:
          if (isDigit(ch)) ns = INT;
          else if (ch == 0x2b || ch == 0x2d) ns = S1;
          else if (ch == 0x2e) ns = FLOAT;
          else ns = INVALID;
          break;
        case S1:
          if (isDigit(ch)) ns = INT; else if (ch == 0x2e) ns = FLOAT; else ns = INVALID;
          break;
        case INT:
          if (ch == 0x2e) ns = FLOAT; else if (!isDigit(ch)) ns = INVALID;
          break;
        case FLOAT:
          if (ch == 0x45 || ch == 0x65) ns = S2; else if (!isDigit(ch)) ns = INVALID;
          break;
        case S2:
          if (ch == 0x2b || ch == 0x2d) ns = EXP; else ns = INVALID;
          break;
        case EXP:
          if (isDigit(ch)) ns = SCI; else ns = INVALID;
          break;
        case SCI:
          if (!isDigit(ch)) ns = INVALID;
          break;
        default:
          break;
      }
      if (ns != state) store<u32>(transitions + (state << 2), load<u32>(transitions + (state << 2)) + 1);
      state = ns;
      if (state == INVALID) {
        while (p < TEXT_LEN && load<u8>(text + p) != 0x2c) p++;
        break;
      }
    }
    store<u32>(finals + (state << 2), load<u32>(finals + (state << 2)) + 1);
  }
  for (let s = 0; s < 8; s++) {
    crc = crcu32(load<u32>(finals + (s << 2)), crc);
    crc = crcu32(load<u32>(transitions + (s << 2)), crc);
  }
  return crc;
}

export function run(n: i32): i32 {
  let crc: u32 = 0;
  for (let i = 0; i < n; i++) {
    crc = listBench(i, crc);
    crc = matrixBench(i, crc);
    crc = stateBench(i, crc);
  }
  return <i32>crcu16(<u32>n, crc);
}
