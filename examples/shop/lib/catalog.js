// The shop's products: what /api/products answers and the worker restocks.
exports.products = [
  { id: 1, name: 'Teapot', price: 18 },
  { id: 2, name: 'Mug', price: 7 },
  { id: 3, name: 'Kettle', price: 32 },
]
