// The mask and COCO core: pure, no IO. See ARCHITECTURE.md ("Masks and COCO RLE").
export * from './errors'
export * from './mask'
export * from './rle'
export * from './rleEncode'
export * from './rleDecode'
export * from './rleString'
export * from './rleOps'
export * from './polygon'
