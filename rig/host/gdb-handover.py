# SPDX-License-Identifier: GPL-2.0
# gdb's "handover" command, for a guest stopped at ima_load_kexec_buffer()
# ($rig_restore_bp; the handed-over segment in memory, unread): the one place the rig
# writes guest memory. Offsets are expressions over the constants of the
# series' format definition, ima_kexec_format.h (IMA_KEXEC_FORMAT_H), and
# TRAILER, where the records end (the header's buffer_size).
#
#   handover flip EXPR MASK      xor MASK into the segment's byte at EXPR
#   handover drop-record TEXT    cut out the record that holds TEXT and make
#                                the header and the trailer's SHA-256 fit,
#                                as a forger who knows the format would
#   handover failslab PER-RECORD arm the kernel's failslab (default off) to
#                                fail the slab allocation PER-RECORD times
#                                the segment's record count from here
#   handover next ACTION...      continue to the next kernel's restore, then
#                                run ACTION there
#
# The header and the records are little endian on every architecture the
# rig boots (x86_64, arm64, ppc64le). Where the segment is: x86 keeps it
# in setup_data, which arch/x86/kernel/setup.c notes at boot; arm64 and
# powerpc in the device tree, /chosen/linux,ima-kexec-buffer.

import hashlib
import os
import re
import struct

import gdb


def format_constants():
    path = os.environ["IMA_KEXEC_FORMAT_H"]
    consts = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"#define\s+(IMA_KEXEC_\w+)\s+(0x[0-9a-fA-F]+|\d+)\b",
                         line)
            if m:
                consts[m.group(1)] = int(m.group(2), 0)
    if "IMA_KEXEC_HDR_SIZE" not in consts:
        raise gdb.GdbError("no handover format in %s" % path)
    return consts


FMT = format_constants()


def u64(expr):
    return int(gdb.parse_and_eval("*(unsigned long long *)&" + expr))


def fdt_ima_buffer(fdt):
    """(address, size) of /chosen/linux,ima-kexec-buffer in the flattened
    device tree at virtual address fdt, or (0, 0)."""
    inferior = gdb.selected_inferior()

    def rd(off, n):
        return bytes(inferior.read_memory(fdt + off, n))

    (magic, total, off_struct, off_strings, _, version, _, _, size_strings,
     size_struct) = struct.unpack(">10I", rd(0, 40))
    if magic != 0xd00dfeed:
        raise gdb.GdbError("no device tree at %#x (magic %#x)" % (fdt, magic))
    # QEMU's blob is mostly free space: read only its two blocks' span
    # where the header gives their sizes (version 17 on; prom_init's
    # tree, powerpc's cold boot, is version 16).
    if version >= 17:
        total = max(off_struct + size_struct, off_strings + size_strings)
    blob = rd(0, total)

    def name_at(off):
        end = blob.index(b"\0", off)
        return blob[off:end].decode()

    cells = {"#address-cells": 2, "#size-cells": 1}
    path = []
    p = off_struct
    while True:
        token, = struct.unpack_from(">I", blob, p)
        p += 4
        if token == 1:          # FDT_BEGIN_NODE
            end = blob.index(b"\0", p)
            path.append(blob[p:end].decode())
            p = (end + 4) & ~3
        elif token == 2:        # FDT_END_NODE
            path.pop()
        elif token == 3:        # FDT_PROP
            length, nameoff = struct.unpack_from(">II", blob, p)
            value = blob[p + 8:p + 8 + length]
            p = (p + 8 + length + 3) & ~3
            name = name_at(off_strings + nameoff)
            if len(path) == 1 and name in cells:
                cells[name], = struct.unpack(">I", value)
            if path[1:] == ["chosen"] and name == "linux,ima-kexec-buffer":
                words = struct.unpack(">%dI" % (length // 4), value)
                na, ns = cells["#address-cells"], cells["#size-cells"]

                def number(ws):
                    n = 0
                    for w in ws:
                        n = (n << 32) | w
                    return n
                return number(words[:na]), number(words[na:na + ns])
        elif token == 4:        # FDT_NOP
            pass
        elif token == 9:        # FDT_END
            return 0, 0
        else:
            raise gdb.GdbError("device tree token %#x at %d" % (token, p - 4))


class Segment:
    """The handed-over segment, read through physical memory."""

    def __init__(self):
        try:
            self.phys = u64("ima_kexec_buffer_phys")
            self.size = u64("ima_kexec_buffer_size")
        except gdb.error:
            fdt = int(gdb.parse_and_eval("*(unsigned long *)&initial_boot_params"))
            self.phys, self.size = fdt_ima_buffer(fdt)
        self.inferior = gdb.selected_inferior()

    def __enter__(self):
        gdb.execute("maintenance packet Qqemu.PhyMemMode:1", to_string=True)
        return self

    def __exit__(self, *exc):
        gdb.execute("maintenance packet Qqemu.PhyMemMode:0", to_string=True)

    def read(self, off=0, n=None):
        n = self.size - off if n is None else n
        return bytes(self.inferior.read_memory(self.phys + off, n))

    def write(self, off, data):
        self.inferior.write_memory(self.phys + off, data)

    def field(self, name):
        return struct.unpack_from("<Q", self.read(FMT[name], 8))[0]

    def offset(self, expr):
        names = dict(FMT, TRAILER=self.field("IMA_KEXEC_HDR_BUFFER_SIZE_OFF"))
        return int(eval(expr, {"__builtins__": {}}, names))


def records(seg):
    """The records of the segment, each as its bytes."""
    data = seg.read()
    end = struct.unpack_from("<Q", data, FMT["IMA_KEXEC_HDR_BUFFER_SIZE_OFF"])[0]
    p = FMT["IMA_KEXEC_HDR_SIZE"]
    out = []
    while p < end:
        start = p
        p += 4 + 20
        name_len, = struct.unpack_from("<I", data, p)
        p += 4 + name_len
        data_len, = struct.unpack_from("<I", data, p)
        p += 4 + data_len
        out.append(data[start:p])
    if p != end:
        raise gdb.GdbError("the segment does not parse: records end at %d, "
                           "buffer_size %d" % (p, end))
    return data, end, out


def flip(seg, expr, mask):
    off = seg.offset(expr)
    byte = seg.read(off, 1)[0]
    seg.write(off, bytes([byte ^ mask]))
    print("flip %s: segment %#x, %d bytes, offset %d, byte %#x now %#x" %
          (expr, seg.phys, seg.size, off, byte, byte ^ mask))


def drop_record(seg, text):
    data, end, recs = records(seg)
    hdr_size = FMT["IMA_KEXEC_HDR_SIZE"]
    count = struct.unpack_from("<Q", data, FMT["IMA_KEXEC_HDR_COUNT_OFF"])[0]
    if len(recs) != count:
        raise gdb.GdbError("%d records, the header says %d" % (len(recs), count))
    kept = [r for r in recs if text.encode() not in r]
    if len(kept) != len(recs) - 1:
        raise gdb.GdbError("%d records hold %s" % (len(recs) - len(kept), text))
    body = b"".join(kept)
    header = bytearray(data[:hdr_size])
    struct.pack_into("<Q", header, FMT["IMA_KEXEC_HDR_BUFFER_SIZE_OFF"],
                     hdr_size + len(body))
    struct.pack_into("<Q", header, FMT["IMA_KEXEC_HDR_COUNT_OFF"], len(kept))
    trailer = bytearray(data[end:end + FMT["IMA_KEXEC_TRAILER_SIZE"]])
    # The digest covers the records, the header, then the trailer before it.
    at = FMT["IMA_KEXEC_TRAILER_DIGEST_OFF"]
    digest = hashlib.sha256(body + bytes(header) + bytes(trailer[:at])).digest()
    trailer[at:] = digest
    forged = bytes(header) + body + bytes(trailer)
    seg.write(0, forged)
    print("forged: %d of %d records kept, %d bytes, digest %s" %
          (len(kept), count, len(forged), digest.hex()))


# failslab (mm/failslab.c) is a struct fault_attr followed by
# ignore_gfp_reclaim and cache_filter. vmlinux has no debug info: the
# offsets are x86_64's without spinlock debugging, checked against the
# initial values before anything is written, so that another layout arms
# nothing and the scenario fails.
FAILSLAB_EXPECTED = {8: 1, 16: 1, 24: 2, 40: 32, 56: 0xffffffffffffffff}


def failslab(count, per_record):
    nth = int(count * float(eval(per_record, {"__builtins__": {}}, {})))
    base = int(gdb.parse_and_eval("(unsigned long)&failslab"))
    inferior = gdb.selected_inferior()

    def rd(off, n):
        return int.from_bytes(bytes(inferior.read_memory(base + off, n)), "little")

    def wr(off, n, v):
        inferior.write_memory(base + off, v.to_bytes(n, "little"))

    now = {off: rd(off, 4 if off == 16 else 8) for off in FAILSLAB_EXPECTED}
    flags = (rd(184, 1), rd(185, 1))
    print("failslab: %s ignore_gfp_reclaim %d cache_filter %d" % (now, *flags))
    if now != FAILSLAB_EXPECTED or flags != (1, 0):
        print("failslab is not laid out as expected: not armed")
        return
    wr(24, 8, 0)        # verbose
    wr(80, 8, 0)        # task filter off
    wr(8, 8, nth)       # interval: the nth allocation from here
    wr(184, 1, 0)       # sleeping allocations too
    wr(0, 8, 100)       # probability
    print("armed: slab allocation %d from here fails (%d records handed over)" %
          (nth, count))


# A "continue" can return at a stop that is no new restore: the
# breakpoint taken again in the same boot (QEMU reports it once more when
# an interrupt arrives as the guest resumes over it), or a boot with
# nothing to restore (the cold boot). An action at such a stop would be
# applied to the wrong kernel, or twice, and every later action would be
# one restore early. So a restore is a stop at the breakpoint with a
# segment that is not the one the last action left.
class Restores:
    def __init__(self):
        self.stops = 0
        self.seen = None

    def next(self):
        # Where the rig's script put the breakpoint (powerpc: the local
        # entry point).
        bp = int(gdb.parse_and_eval("$rig_restore_bp"))
        while True:
            gdb.execute("continue", to_string=True)
            self.stops += 1
            pc = int(gdb.parse_and_eval("(unsigned long)$pc"))
            if pc != bp:
                print("stop %d: at %#x, not the restore: going on" %
                      (self.stops, pc))
                continue
            seg = Segment()
            if not seg.size:
                print("stop %d: a boot with no handover: going on" %
                      self.stops)
                continue
            with seg:
                data = seg.read()
            if data == self.seen:
                print("stop %d: the breakpoint again, same segment: going on" %
                      self.stops)
                continue
            print("stop %d: restore of segment %#x, %d bytes, %d records" %
                  (self.stops, seg.phys, seg.size,
                   struct.unpack_from("<Q", data, FMT["IMA_KEXEC_HDR_COUNT_OFF"])[0]))
            return

    def acted(self):
        seg = Segment()
        with seg:
            self.seen = seg.read()


RESTORES = Restores()


class Handover(gdb.Command):
    """handover [next] flip EXPR MASK | drop-record TEXT | failslab PER-RECORD"""

    def __init__(self):
        super().__init__("handover", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if argv and argv[0] == "next":
            RESTORES.next()
            self.act(argv[1:])
            RESTORES.acted()
            return
        self.act(argv)

    def act(self, argv):
        if not argv:
            raise gdb.GdbError(self.__doc__)
        if argv[0] == "failslab" and len(argv) == 2:
            with Segment() as seg:
                count = seg.field("IMA_KEXEC_HDR_COUNT_OFF")
            # fault_attr is in the kernel's virtual memory.
            failslab(count, argv[1])
            return
        with Segment() as seg:
            if argv[0] == "flip" and len(argv) == 3:
                flip(seg, argv[1], int(argv[2], 0))
            elif argv[0] == "drop-record" and len(argv) == 2:
                drop_record(seg, argv[1])
            else:
                raise gdb.GdbError(self.__doc__)


Handover()
