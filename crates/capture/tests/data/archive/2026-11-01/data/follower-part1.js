window.YTD.follower.part1 = [
  {
    "follower": {
      "accountId": "1500000000000000002",
      "userLink": "https://twitter.com/intent/user?user_id=1500000000000000002"
    }
  },
  {
    "follower": {
      "accountId": "1600000000000000003",
      "userLink": "https://twitter.com/intent/user?user_id=1600000000000000003"
    }
  }
]