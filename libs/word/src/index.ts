export * from './model';
export * from './detect';
export * from './convert';
export * from './zip';
export * from './word-reader';
export { readDocumentXml } from './document-xml';
export * from './symbols';
export * from './preview';
export * from './pdf-pool';
