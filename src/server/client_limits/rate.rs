//! Requests per second per client address: a GCRA token bucket per
//! address (`governor`'s keyed limiter), swept of idle addresses every few
//! seconds so that its memory follows the addresses active right now, not
//! every address ever seen.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Weak};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// How often addresses whose bucket is full again are forgotten (a full
/// bucket is the same as a new one, so forgetting it changes nothing).
const SWEEP_EVERY: Duration = Duration::from_secs(10);

/// The shared buckets.
pub struct Rate {
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

impl Rate {
    /// `per_second` sustained, `burst` at once (0: `per_second`); `None`
    /// when `per_second` is 0 (no limit). Starts the sweeper, which ends
    /// with the limiter.
    pub fn new(per_second: u32, burst: u32) -> Option<Self> {
        let rate = NonZeroU32::new(per_second)?;
        let burst = NonZeroU32::new(burst).unwrap_or(rate);
        let quota = Quota::per_second(rate).allow_burst(burst);
        let limiter = Arc::new(RateLimiter::keyed(quota));
        tokio::spawn(sweep(Arc::downgrade(&limiter)));
        Some(Self { limiter })
    }

    /// Takes a token for `key`: `None` when there was one, else how long
    /// until there is.
    pub fn take(&self, key: IpAddr) -> Option<Duration> {
        let not_until = self.limiter.check_key(&key).err()?;
        Some(not_until.wait_time_from(DefaultClock::default().now()))
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.limiter.len()
    }
}

async fn sweep(limiter: Weak<DefaultKeyedRateLimiter<IpAddr>>) {
    let mut every = tokio::time::interval(SWEEP_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let Some(limiter) = limiter.upgrade() else {
            return;
        };
        limiter.retain_recent();
        limiter.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_burst_is_allowed_then_the_wait_is_told_and_others_are_apart() {
        let rate = Rate::new(2, 3).unwrap();
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        for _ in 0..3 {
            assert_eq!(rate.take(a), None);
        }
        let wait = rate.take(a).expect("over the burst");
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_millis(500),
            "{wait:?}"
        );
        assert_eq!(rate.take(b), None, "another address has its own bucket");
        assert!(Rate::new(0, 10).is_none(), "0 is no limit");
    }

    #[tokio::test]
    async fn full_buckets_are_forgotten() {
        let rate = Rate::new(1000, 1).unwrap();
        for i in 0..=255u8 {
            let _ = rate.take(IpAddr::from([192, 0, 2, i]));
        }
        assert_eq!(rate.tracked(), 256);
        tokio::time::sleep(Duration::from_millis(20)).await;
        rate.limiter.retain_recent();
        assert_eq!(rate.tracked(), 0);
    }
}
