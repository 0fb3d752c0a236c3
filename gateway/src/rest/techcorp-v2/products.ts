// /v2/products routes of TechCorp API v2.0.3.
import type { RestRoute } from '../RestRoute.js';
import { found, page, pick, PRODUCT_FIELDS, productJson } from './json.js';

export const productRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/products',
    operationName: 'TechCorpListProducts',
    document: `query TechCorpListProducts($page: Int, $limit: Int, $category: String, $inStock: Boolean, $minPrice: Float, $maxPrice: Float, $q: String) {
      products(page: $page, limit: $limit, category: $category, inStock: $inStock, minPrice: $minPrice, maxPrice: $maxPrice, q: $q) {
        data { ...ProductFields } pagination { page limit total pages }
      }
    } ${PRODUCT_FIELDS}`,
    query: {
      category: { type: 'string', max: 64 },
      in_stock: { type: 'boolean' },
      min_price: { type: 'number', min: 0 },
      max_price: { type: 'number', min: 0 },
      q: { type: 'string', max: 200 },
      // Not in the seed's table, but a catalog larger than a page must stay reachable.
      page: { type: 'integer', min: 1 },
      limit: { type: 'integer', min: 1, max: 100 },
    },
    variables: (req) =>
      pick(req.query, { category: 'category', in_stock: 'inStock', min_price: 'minPrice', max_price: 'maxPrice', q: 'q', page: 'page', limit: 'limit' }),
    respond: (data) => ({ status: 200, body: page(data.products, productJson) }),
  },
  {
    method: 'GET',
    path: '/products/:product_id',
    operationName: 'TechCorpGetProduct',
    document: `query TechCorpGetProduct($id: ID!) { product(id: $id) { ...ProductFields } } ${PRODUCT_FIELDS}`,
    variables: (req) => ({ id: req.params.product_id }),
    respond: (data, req) => ({ status: 200, body: productJson(found(data.product, 'Product', req.params.product_id, 'product_id')) }),
  },
  {
    method: 'POST',
    path: '/products',
    operationName: 'TechCorpCreateProduct',
    document: `mutation TechCorpCreateProduct($input: CreateProductInput!) { createProduct(input: $input) { ...ProductFields } } ${PRODUCT_FIELDS}`,
    body: {
      name: { type: 'string' },
      sku: { type: 'string' },
      price: { type: 'number' },
      currency: { type: 'string' },
      category: { type: 'string' },
      stock: { type: 'integer' },
      description: { type: 'string' },
    },
    variables: (req) => ({
      input: pick(req.body, { name: 'name', sku: 'sku', price: 'price', currency: 'currency', category: 'category', stock: 'stock', description: 'description' }),
    }),
    respond: (data) => ({ status: 201, body: productJson(data.createProduct) }),
  },
  {
    method: 'POST',
    path: '/products/:product_id/stock',
    operationName: 'TechCorpUpdateProductStock',
    document: `mutation TechCorpUpdateProductStock($id: ID!, $input: UpdateStockInput!) {
      updateProductStock(id: $id, input: $input) { ...ProductFields }
    } ${PRODUCT_FIELDS}`,
    body: {
      operation: { type: 'string', enum: ['add', 'subtract', 'set'] },
      quantity: { type: 'integer' },
      reason: { type: 'string' },
    },
    variables: (req) => ({ id: req.params.product_id, input: pick(req.body, { operation: 'operation', quantity: 'quantity', reason: 'reason' }) }),
    respond: (data) => ({ status: 200, body: productJson(data.updateProductStock) }),
  },
];
