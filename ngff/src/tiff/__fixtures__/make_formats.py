"""
Writes TIFF files that exercise each reader feature with tifffile (the
reference), then tifffile's own reading of every series as raw little-endian
bytes. Usage: python make_formats.py OUT_DIR; prints JSON on its last line.
"""
import json, sys, os, numpy as np, tifffile
d = sys.argv[1]
rng = np.random.default_rng(42)
def smooth(shape, dtype):
    # gradients plus noise: compressible but not trivial
    idx = np.indices(shape).sum(axis=0)
    a = (idx * 7 + rng.integers(0, 5, size=shape))
    if np.dtype(dtype).kind == 'f':
        return (np.sin(idx / 13.0) * 1000 + rng.standard_normal(shape)).astype(dtype)
    info = np.iinfo(dtype)
    return (a % (int(info.max) - int(info.min) + 1) + int(info.min)).astype(dtype)
cases = {}
def w(name, data, **kw):
    p = os.path.join(d, name)
    tifffile.imwrite(p, data, **kw)
    cases[name] = p
w('be_u16.tif', smooth((3, 40, 50), 'uint16'), byteorder='>', metadata={'axes': 'ZYX'})
w('be_u16_rps1.tif', smooth((2, 33, 17), 'uint16'), byteorder='>', rowsperstrip=1)
w('lzw_pred_u16.tif', smooth((2, 300, 301), 'uint16'), compression='lzw', predictor=True, rowsperstrip=64, metadata={'axes': 'TYX'})
w('lzw_random_u8.tif', rng.integers(0, 256, size=(700, 999), dtype='uint8'), compression='lzw')
w('lzw_runs_u8.tif', np.repeat(rng.integers(0, 3, size=(400, 50), dtype='uint8'), 20, axis=1), compression='lzw')
w('deflate_pred_f32.tif', smooth((97, 131), 'float32'), compression='zlib', predictor=True)
w('deflate_pred_f32_be.tif', smooth((2, 97, 131), 'float32'), compression='zlib', predictor=True, byteorder='>')
w('deflate_pred_f64.tif', smooth((50, 61), 'float64'), compression='zlib', predictor=True)
w('deflate_pred_u32.tif', smooth((60, 70), 'uint32'), compression='zlib', predictor=True)
w('deflate_pred_rgb.tif', smooth((40, 50, 3), 'uint8'), compression='zlib', predictor=True, photometric='rgb')
w('packbits_u8.tif', np.repeat(smooth((64, 10), 'uint8'), 7, axis=1), compression='packbits')
w('tiled_lzw_u16.tif', smooth((2, 100, 130), 'uint16'), tile=(32, 48), compression='lzw', predictor=True)
w('tiled_raw_be_i16.tif', smooth((70, 90), 'int16'), tile=(16, 32), byteorder='>')
w('planar_rgb.tif', smooth((3, 40, 50), 'uint8'), photometric='rgb', planarconfig='separate')
w('planar_tiled_lzw.tif', smooth((2, 3, 40, 50), 'uint16'), photometric='rgb', planarconfig='separate', tile=(16, 16), compression='lzw', metadata={'axes': 'ZSYX'})
w('bigtiff_be_i16.tif', smooth((4, 30, 20), 'int16'), bigtiff=True, byteorder='>')
w('int8.tif', smooth((20, 30), 'int8'))
w('int32.tif', smooth((2, 20, 30), 'int32'))
w('shaped_qq.tif', smooth((1, 5, 10, 12), 'uint8'))
luts = [np.zeros((3, 256), 'uint8') for _ in range(3)]
for i, lut in enumerate(luts): lut[i] = np.arange(256)
w('imagej_tzcyx.tif', smooth((2, 3, 3, 32, 24), 'uint16'), imagej=True, resolution=(1 / 0.3, 1 / 0.3),
  metadata={'axes': 'TZCYX', 'spacing': 2.5, 'unit': 'um', 'finterval': 0.5, 'LUTs': luts})
w('imagej_rgb.tif', smooth((4, 20, 30, 3), 'uint8'), imagej=True, photometric='rgb', metadata={'axes': 'ZYXS'})
w('ome_czyx.ome.tif', smooth((2, 3, 40, 30), 'uint16'),
  metadata={'axes': 'CZYX', 'PhysicalSizeX': 0.5, 'PhysicalSizeY': 0.25, 'PhysicalSizeZ': 2, 'PhysicalSizeZUnit': 'nm', 'Name': 'cells',
            'Channel': {'Name': ['DAPI', 'GFP']}})
p = os.path.join(d, 'ome_multi.ome.tif')
with tifffile.TiffWriter(p, ome=True) as tw:
    tw.write(smooth((2, 10, 12), 'uint8'), metadata={'axes': 'TYX', 'Name': 'first', 'TimeIncrement': 3, 'TimeIncrementUnit': 'ms'})
    tw.write(smooth((3, 8, 9, 3), 'uint8'), photometric='rgb', metadata={'axes': 'ZYXS', 'Name': 'second'})
cases['ome_multi.ome.tif'] = p
p = os.path.join(d, 'generic_mixed.tif')
with tifffile.TiffWriter(p) as tw:
    tw.write(smooth((20, 30), 'uint8'), metadata=None)
    tw.write(smooth((20, 30), 'uint8'), metadata=None)
    tw.write(smooth((10, 10), 'uint16'), metadata=None)
    tw.write(smooth((20, 30), 'uint8'), metadata=None)
cases['generic_mixed.tif'] = p
out = {}
for name, p in cases.items():
    with tifffile.TiffFile(p) as t:
        series = []
        for i, s in enumerate(t.series):
            a = s.asarray()
            data = f'{p}.{i}.bin'
            np.ascontiguousarray(a).astype(a.dtype.newbyteorder('<')).tofile(data)
            series.append({'axes': s.axes, 'shape': list(s.shape), 'dtype': str(s.dtype), 'kind': s.kind, 'data': data})
        pg = t.pages[0]
        out[name] = {'series': series, 'compression': int(pg.compression), 'predictor': int(pg.predictor), 'bigtiff': t.is_bigtiff, 'byteorder': t.byteorder}
print(json.dumps(out))
