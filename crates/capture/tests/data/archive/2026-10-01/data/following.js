window.YTD.following.part0 = [
  {
    "following": {
      "accountId": "2244994945",
      "userLink": "https://twitter.com/intent/user?user_id=2244994945"
    }
  },
  {
    "following": {
      "accountId": "12",
      "userLink": "https://twitter.com/intent/user?user_id=12"
    }
  }
]