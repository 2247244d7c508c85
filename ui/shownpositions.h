#pragma once

#include <QtGlobal>

#include <deque>
#include <optional>
#include <utility>

namespace cqrs::ui {

/// When the dashboard first put each event position on screen: the moments
/// the order view's answers, each reflecting a checkpoint, were shown, kept
/// for the newest `capacity` answers. A position the first answer already
/// held, or older than the kept answers, reads as unknown, never estimated.
class ShownPositions final {
public:
    static constexpr int capacity = 16'384;

    /// An answer reflecting `checkpoint` was shown at `nowNs` (monotonicNowNs).
    void shown(qint64 checkpoint, qint64 nowNs);
    /// The first moment an answer holding `position` was shown.
    std::optional<qint64> firstShownNs(qint64 position) const;
    /// A new store: nothing was shown from it yet.
    void clear();

private:
    std::deque<std::pair<qint64, qint64>> m_moments; ///< (checkpoint, ns), checkpoints rising
    qint64 m_knownAfter = -1; ///< positions up to this were shown before the kept moments
};

} // namespace cqrs::ui
