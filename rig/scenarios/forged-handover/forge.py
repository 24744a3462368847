# Run by gdb, stopped at ima_load_kexec_buffer(): cut the record that
# names HIDDEN out of the handed-over segment and make the header and the
# trailer's SHA-256 fit, as a forger who knows the format would.
# HIDDEN and the format's offsets are set by the caller.
import hashlib
import struct

import gdb


def u64(expr):
    return int(gdb.parse_and_eval("*(unsigned long long *)&" + expr))


phys = u64("ima_kexec_buffer_phys")
size = u64("ima_kexec_buffer_size")
inferior = gdb.selected_inferior()
gdb.execute("maintenance packet Qqemu.PhyMemMode:1", to_string=True)
seg = bytes(inferior.read_memory(phys, size))

# x86: the header and the records are little endian.
buffer_size, = struct.unpack_from("<Q", seg, HDR_BUFFER_SIZE_OFF)
count, = struct.unpack_from("<Q", seg, HDR_COUNT_OFF)
records = []
p = HDR_SIZE
while p < buffer_size:
    start = p
    p += 4 + 20
    name_len, = struct.unpack_from("<I", seg, p)
    p += 4 + name_len
    data_len, = struct.unpack_from("<I", seg, p)
    p += 4 + data_len
    records.append(seg[start:p])
if len(records) != count or p != buffer_size:
    raise gdb.GdbError("the segment does not parse: %d records of %d" %
                       (len(records), count))

kept = [r for r in records if HIDDEN not in r]
if len(kept) != len(records) - 1:
    raise gdb.GdbError("%d records name %s" %
                       (len(records) - len(kept), HIDDEN.decode()))

body = b"".join(kept)
header = bytearray(seg[:HDR_SIZE])
struct.pack_into("<Q", header, HDR_BUFFER_SIZE_OFF, HDR_SIZE + len(body))
struct.pack_into("<Q", header, HDR_COUNT_OFF, len(kept))
trailer = bytearray(seg[buffer_size:buffer_size + TRAILER_SIZE])
# The digest covers the records, the header, then the trailer before it.
digest = hashlib.sha256(body + bytes(header) +
                        bytes(trailer[:TRAILER_DIGEST_OFF])).digest()
trailer[TRAILER_DIGEST_OFF:] = digest
forged = bytes(header) + body + bytes(trailer)
inferior.write_memory(phys, forged)
gdb.execute("maintenance packet Qqemu.PhyMemMode:0", to_string=True)
print("forged: %d of %d records kept, %d bytes, digest %s" %
      (len(kept), count, len(forged), digest.hex()))
