#pragma once

#include <QList>
#include <QtGlobal>

#include <vector>

namespace cqrs::ui {

/// The tokens of the flow diagram and where each one is, on a display
/// clock in milliseconds. A command's token goes from its origin through
/// the queue and the handler, and reaches the write store only once the
/// command is committed; there it becomes one token per projection, each
/// of which waits at its projection until that projection has committed
/// the event (its checkpoint passed the position), then goes on to the
/// read store. Moving between two parts takes at least stepMs so the eye
/// can follow steps that take far less; waiting takes as long as it does.
class FlowTokens final {
public:
    static constexpr int stepMs = 300;
    static constexpr int maxTokens = 80;

    enum class Stop { Form, Traffic, Queue, Handler, WriteStore, Entry, Projection, ReadStore };

    struct Token {
        qint64 position = 0; ///< 0 until committed
        int serial = 0;      ///< a command of this window, until its answer (0: none)
        bool followed = false;
        bool own = false;    ///< sent from this window's form
        int projection = -1; ///< -1: the command's token; else one projection's
        Stop from = Stop::Form;
        Stop to = Stop::Queue;
        qint64 legStartMs = 0;
        bool waiting = false; ///< held at `to` until allowed on
        bool done = false;
        /// How far along from -> to, 0..1.
        double progress = 0;
    };

    /// How many projections there are, and which ones fold events now
    /// (false: CRUD, where the tokens stop at the write store).
    void setProjections(int count, bool inUse);
    /// A command the window sent, named by `serial` (> 0) until
    /// committed(): its token starts at the form.
    void addOwnCommand(int serial, qint64 nowMs);
    /// The window's command `serial` committed as `position` (0: it was not).
    void committed(int serial, qint64 position, qint64 nowMs);
    /// A committed event of another client (traffic), starting at `from`.
    void addCommitted(Stop from, qint64 position, qint64 nowMs);
    /// Projection `index` has committed everything up to `checkpoint`.
    void setCheckpoint(int index, qint64 checkpoint);
    /// The token(s) of `position` are drawn as followed (a receipt is open).
    void follow(qint64 position);

    /// Moves every token to `nowMs` and drops those that have arrived.
    void advance(qint64 nowMs);
    const std::vector<Token>& tokens() const { return m_tokens; }
    bool isIdle() const { return m_tokens.empty(); }
    /// Tokens held at projection `index` for want of its checkpoint.
    int waitingAt(int index) const;
    qint64 checkpoint(int index) const {
        return index >= 0 && index < m_checkpoints.size() ? m_checkpoints.at(index) : 0;
    }
    void clear();

private:
    /// The next stop after `from` -> `to`, or false at the end of the way.
    bool next(Token& token) const;
    bool mayLeave(const Token& token) const;
    void split(const Token& command, qint64 startMs);
    void trim();

    std::vector<Token> m_tokens;
    QList<qint64> m_checkpoints;
    bool m_inUse = true;
    qint64 m_followed = 0;
};

} // namespace cqrs::ui
