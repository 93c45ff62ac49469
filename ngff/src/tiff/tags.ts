/** TIFF tag numbers, field types and code names shared by the reader and the writer. */

export const Tag = {
  NewSubfileType: 254,
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  Photometric: 262,
  FillOrder: 266,
  ImageDescription: 270,
  StripOffsets: 273,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  XResolution: 282,
  YResolution: 283,
  PlanarConfiguration: 284,
  ResolutionUnit: 296,
  Software: 305,
  Predictor: 317,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  SubIFDs: 330,
  ExtraSamples: 338,
  SampleFormat: 339,
  IJMetadataByteCounts: 50838,
  IJMetadata: 50839,
} as const;

/** Field types: byte size of one value. */
export const FieldType = {
  BYTE: 1,
  ASCII: 2,
  SHORT: 3,
  LONG: 4,
  RATIONAL: 5,
  SBYTE: 6,
  UNDEFINED: 7,
  SSHORT: 8,
  SLONG: 9,
  SRATIONAL: 10,
  FLOAT: 11,
  DOUBLE: 12,
  IFD: 13,
  LONG8: 16,
  SLONG8: 17,
  IFD8: 18,
} as const;

export const fieldTypeSize: Record<number, number> = {
  1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8,
};

export const Compression = {
  None: 1,
  LZW: 5,
  AdobeDeflate: 8,
  PackBits: 32773,
  Deflate: 32946,
} as const;

/** Names of compression schemes, for error messages. */
export const compressionNames: Record<number, string> = {
  1: 'none',
  2: 'CCITT RLE',
  3: 'CCITT Group 3 fax',
  4: 'CCITT Group 4 fax',
  5: 'LZW',
  6: 'old-style JPEG',
  7: 'JPEG',
  8: 'Deflate',
  9: 'JBIG',
  10: 'JBIG',
  32773: 'PackBits',
  32809: 'ThunderScan',
  32895: 'IT8',
  32946: 'Deflate',
  33003: 'Aperio JPEG 2000',
  33005: 'Aperio JPEG 2000',
  34676: 'SGI LogLuv',
  34677: 'SGI LogLuv',
  34661: 'JBIG',
  34712: 'JPEG 2000',
  34887: 'LERC',
  34925: 'LZMA',
  34933: 'PNG',
  34934: 'JPEG XR',
  48124: 'JPEG XL',
  50000: 'Zstandard',
  50001: 'WebP',
  50002: 'JPEG XL',
  52546: 'JPEG XL',
};

export const Predictor = { None: 1, Horizontal: 2, FloatingPoint: 3 } as const;

export const SampleFormat = { Uint: 1, Int: 2, Float: 3, Void: 4 } as const;

export const ResolutionUnit = { None: 1, Inch: 2, Centimeter: 3 } as const;
