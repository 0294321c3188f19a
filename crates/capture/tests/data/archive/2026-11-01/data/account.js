window.YTD.account.part0 = [
  {
    "account": {
      "email": "viewer@example.org",
      "createdVia": "web",
      "username": "reciprocity_viewer",
      "accountId": "900000000000000001",
      "createdAt": "2015-04-01T10:00:00.000Z",
      "accountDisplayName": "Viewer"
    }
  }
]