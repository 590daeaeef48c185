fetch('/api/products').then((res) => res.json()).then((products) => {
  document.getElementById('products').innerHTML = products.map((p) => `<li>${p.name}: ${p.price} €</li>`).join('')
})
