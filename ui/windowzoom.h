#pragma once

#include <QFont>
#include <QObject>

class QMainWindow;

namespace cqrs::ui {

/// Zoom for the back of the room: scales the application font, so every
/// widget, header, badge, menu, tooltip and dialog follows, and the charts'
/// own text with it; then keeps the window inside the screen's available
/// geometry (the window's parts scroll rather than grow past it).
class WindowZoom final : public QObject
{
    Q_OBJECT

public:
    static constexpr double minFactor = 0.6;
    static constexpr double maxFactor = 3.0;

    explicit WindowZoom(QMainWindow* window);
    /// Gives the application its font at factor 1 back.
    ~WindowZoom() override;

    double factor() const { return m_factor; }
    /// Clamped to [minFactor, maxFactor].
    void setFactor(double factor);
    void zoomIn() { setFactor(m_factor * 1.15); }
    void zoomOut() { setFactor(m_factor / 1.15); }
    void reset() { setFactor(1.0); }
    /// Applies the current factor again, to widgets created since (charts
    /// and tables draw some text themselves).
    void reapply();
    /// The application font at factor 1.
    QFont baseFont() const { return m_base; }

Q_SIGNALS:
    void changed(double factor);

private:
    void fitIntoScreen();

    QMainWindow* m_window;
    QFont m_base;
    double m_factor = 1.0;
};

} // namespace cqrs::ui
