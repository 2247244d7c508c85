#pragma once

#include <QMetaType>
#include <QtGlobal>

#include <array>

namespace cqrs {

/// A fixed-size latency histogram with about 1.5% relative precision
/// (log-linear buckets: 64 per power of two, from 1 µs to ~18 minutes).
/// Constant memory whatever the number of samples, cheap to copy, so it can
/// travel between threads as a value. Not thread-safe: one writer.
class LatencyHistogram final
{
public:
    void record(qint64 nanoseconds);
    void merge(const LatencyHistogram& other);
    void reset() { *this = LatencyHistogram{}; }

    qint64 count() const { return m_count; }
    qint64 maxNs() const { return m_maxNs; }
    qint64 minNs() const { return m_count ? m_minNs : 0; }
    double meanNs() const { return m_count ? double(m_sumNs) / double(m_count) : 0.0; }
    /// The value at quantile q (0..1), e.g. 0.99 for p99; 0 when empty.
    qint64 quantileNs(double q) const;
    double quantileMs(double q) const { return quantileNs(q) / 1e6; }
    double maxMs() const { return m_maxNs / 1e6; }

    /// Number of samples with value <= upToNs (for cumulative plots).
    qint64 countAtOrBelow(qint64 upToNs) const;

private:
    static constexpr int subBuckets = 64;
    static constexpr int powers = 30; // 2^30 µs ≈ 18 min
    static int bucketOf(qint64 micros);
    static qint64 bucketUpperMicros(int bucket);

    std::array<quint32, subBuckets * powers> m_buckets{};
    qint64 m_count = 0;
    qint64 m_sumNs = 0;
    qint64 m_maxNs = 0;
    qint64 m_minNs = 0;
};

} // namespace cqrs

Q_DECLARE_METATYPE(cqrs::LatencyHistogram)
