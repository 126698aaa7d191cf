import IAMPolicy
