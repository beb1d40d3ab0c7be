package test
schema := `
  extend type User {
      id: ID!
  }
  extend type Product {
      upc: String!
  }
  union _Entity = Product | User
  extend type Query {
    entity: _Entity
  }
`
query := `
  {
    entity {
      ... on User {
      id
      }
    }
  }
`
p {
    graphql.is_valid(query, schema)
}
