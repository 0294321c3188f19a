window.YTD.follower.part0 = [
  {
    "follower": {
      "accountId": "2244994945",
      "userLink": "https://twitter.com/intent/user?user_id=2244994945"
    }
  },
  {
    "follower": {
      "accountId": "783214",
      "userLink": "https://twitter.com/intent/user?user_id=783214"
    }
  },
  {
    "follower": {
      "accountId": "1500000000000000002",
      "userLink": "https://twitter.com/intent/user?user_id=1500000000000000002"
    }
  }
]