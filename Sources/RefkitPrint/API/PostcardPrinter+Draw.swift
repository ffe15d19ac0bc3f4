import Foundation
import RefkitModel
import RefkitQR

extension PostcardPrinter {
    /// Draws `pairs` into `sink`, each stamped with its inputs and followed by its record;
    /// returns their summaries in order.
    func draw(_ pairs: [FilePair], of sets: [PostcardSet], to sink: any OutputSink, summary: inout Summary) throws -> [PrintSummary] {
        let renderer = renderer
        let workers = try startWorkers(files: pairs.count)
        defer { for worker in workers { worker.finish() } }
        summary.workers = workers.count
        // One pair on one thread: the cards are made, drawn (here or on `worker`) and recorded.
        @Sendable func draw(_ pair: FilePair, on worker: PrintWorkerProcess?) throws -> PrintSummary {
            let set = sets[pair.set]
            let target = pair.inputs.map { sink.stamped(inputs: $0) } ?? sink
            // The masks the last build's record of this pair kept, for the cards still in it.
            let known = sink.previousBytes(area: .kit, path: pair.recordPath).flatMap { PostcardFileRecord($0, withMasks: true) }?.masks ?? [:]
            let cards = set.invitations[pair.range].map { invitation in
                var card = set.card(invitation)
                card.back.qrMask = known[card.back.code]
                return card
            }
            let drawn = try worker.map { try $0.renderFile(renderer, number: pair.number, cards: cards, to: target) }
                ?? renderer.renderFile(number: pair.number, cards: cards, to: target)
            var masks: [String: QRKnownMask] = [:]
            for card in cards {
                if let mask = drawn.qrMasks[card.back.code] ?? card.back.qrMask { masks[card.back.code] = mask }
            }
            let record = PostcardFileRecord(summary: drawn, masks: masks)
            try target.add(OutputFile(area: .kit, path: pair.recordPath, bytes: record.bytes(), isPrivate: true))
            // The masks are the record's business, not the build report's.
            return record.summary
        }
        guard !workers.isEmpty else { return try pairs.map { try draw($0, on: nil) } }
        let queue = Locked.workQueue(count: pairs.count)
        let results = Locked(OrderedResults<PrintSummary>(count: pairs.count))
        // Pairs go to whichever worker is free: they differ in cost by language.
        DispatchQueue.concurrentPerform(iterations: workers.count) { w in
            while let i = queue.take() {
                let result = Result { try draw(pairs[i], on: workers[w]) }
                if case .failure = result { queue.stop() }
                results.withLock { $0.set(i, result) }
            }
        }
        summary.workerPeakBytes = workers.reduce(0) { $0 + $1.peakBytes }
        return try results.current.values()
    }

    /// Up to `workerCount` print workers, when there are at least two files to draw and
    /// `workerExecutable` names refkit; none otherwise.
    func startWorkers(files: Int) throws -> [PrintWorkerProcess] {
        let count = min(workerCount, files)
        guard let executable = workerExecutable, count > 1 else { return [] }
        var workers: [PrintWorkerProcess] = []
        do {
            for _ in 0..<count { workers.append(try PrintWorkerProcess(executable: executable)) }
        } catch {
            for worker in workers { worker.finish() }
            throw error
        }
        return workers
    }
}
