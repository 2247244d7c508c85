#include "ui/shownpositions.h"

#include <algorithm>

namespace cqrs::ui {

void ShownPositions::shown(qint64 checkpoint, qint64 nowNs) {
    if (m_knownAfter < 0) {
        // The first answer of this store: what it holds was there before we looked.
        m_knownAfter = checkpoint;
        return;
    }
    const qint64 newest = m_moments.empty() ? m_knownAfter : m_moments.back().first;
    if (checkpoint <= newest)
        return;
    m_moments.emplace_back(checkpoint, nowNs);
    if (int(m_moments.size()) > capacity) {
        m_knownAfter = m_moments.front().first;
        m_moments.pop_front();
    }
}

std::optional<qint64> ShownPositions::firstShownNs(qint64 position) const {
    if (m_knownAfter < 0 || position <= m_knownAfter)
        return std::nullopt;
    const auto first = std::lower_bound(
        m_moments.begin(), m_moments.end(), position,
        [](const std::pair<qint64, qint64>& moment, qint64 p) { return moment.first < p; });
    if (first == m_moments.end())
        return std::nullopt;
    return first->second;
}

void ShownPositions::clear() {
    m_moments.clear();
    m_knownAfter = -1;
}

} // namespace cqrs::ui
