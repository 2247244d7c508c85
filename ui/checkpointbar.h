#pragma once

#include <QProgressBar>

namespace cqrs::ui {

/// A QProgressBar (value, format and accessibility as usual) that paints
/// itself as three plain rectangles and its text. The style's gradient bar
/// with rounded ends is enough spans per paint that Qt's raster engine
/// hands each fill to its thread pool and blocks the GUI thread until the
/// pool is done (docs/benchmarks.md, target 6); plain rectangles of this
/// height never leave the GUI thread.
class CheckpointBar final : public QProgressBar {
public:
    explicit CheckpointBar(QWidget* parent = nullptr);

    /// Position `checkpoint` of `head`: scaled for QProgressBar's int range,
    /// repainted once at the next paint (setValue() at the maximum would
    /// repaint at once, the GUI thread's longest stretch under load).
    void showProgress(qint64 checkpoint, qint64 head);

protected:
    void paintEvent(QPaintEvent* event) override;
};

} // namespace cqrs::ui
