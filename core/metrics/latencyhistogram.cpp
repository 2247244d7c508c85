#include "metrics/latencyhistogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace cqrs {

int LatencyHistogram::bucketOf(qint64 micros)
{
    if (micros < subBuckets)
        return int(std::max<qint64>(micros, 0)); // exact below 64 µs
    const int power = std::bit_width(quint64(micros)) - 7; // micros >= 64 -> power >= 0
    const int offset = int(micros >> power) - subBuckets;   // 0..63
    const int bucket = (power + 1) * subBuckets + offset;
    return std::min(bucket, subBuckets * powers - 1);
}

qint64 LatencyHistogram::bucketUpperMicros(int bucket)
{
    if (bucket < subBuckets)
        return bucket;
    const int power = bucket / subBuckets - 1;
    const int offset = bucket % subBuckets;
    return (qint64(subBuckets + offset + 1) << power) - 1;
}

void LatencyHistogram::record(qint64 nanoseconds)
{
    nanoseconds = std::max<qint64>(nanoseconds, 0);
    ++m_buckets[size_t(bucketOf(nanoseconds / 1000))];
    m_minNs = m_count ? std::min(m_minNs, nanoseconds) : nanoseconds;
    ++m_count;
    m_sumNs += nanoseconds;
    m_maxNs = std::max(m_maxNs, nanoseconds);
}

void LatencyHistogram::merge(const LatencyHistogram& other)
{
    for (size_t i = 0; i < m_buckets.size(); ++i)
        m_buckets[i] += other.m_buckets[i];
    if (other.m_count)
        m_minNs = m_count ? std::min(m_minNs, other.m_minNs) : other.m_minNs;
    m_count += other.m_count;
    m_sumNs += other.m_sumNs;
    m_maxNs = std::max(m_maxNs, other.m_maxNs);
}

qint64 LatencyHistogram::quantileNs(double q) const
{
    if (m_count == 0)
        return 0;
    const qint64 rank = std::max<qint64>(1, qint64(std::ceil(std::clamp(q, 0.0, 1.0) * m_count)));
    qint64 seen = 0;
    for (size_t i = 0; i < m_buckets.size(); ++i) {
        seen += m_buckets[i];
        if (seen >= rank) {
            // Report the bucket's upper edge (+ the sub-µs part), never above the true max.
            const qint64 upper = bucketUpperMicros(int(i)) * 1000 + 999;
            return std::clamp(upper, minNs(), m_maxNs);
        }
    }
    return m_maxNs;
}

qint64 LatencyHistogram::countAtOrBelow(qint64 upToNs) const
{
    const int last = bucketOf(upToNs / 1000);
    qint64 total = 0;
    for (int i = 0; i <= last; ++i)
        total += m_buckets[size_t(i)];
    return total;
}

} // namespace cqrs
