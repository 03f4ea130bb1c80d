import ArgumentParser
import Foundation
import LLM
import Pipeline

extension TrainBackend: ExpressibleByArgument {}

extension TrainCommand {
    /// `--backend trl --emit DIR`: the run the flags describe, written as a TRL job (``TRLJob``);
    /// what TRL cannot express is printed as warnings (and listed in the job's README).
    func emitTRLJob() throws {
        let emit = self.emit!
        var parameters = try self.parameters()
        if FileManager.default.fileExists(atPath: model) { parameters.model = Self.absolute(model) }
        let emitted: TRLJob.Emitted
        do {
            let hfModel = try TRLJob.huggingFaceModel(for: parameters.model, hfModel: baseModelID)
            emitted = try TRLJob.emit(parameters, model: hfModel, to: emit)
        } catch let error as TRLJobError {
            throw CommandFailure(message: error.description)
        }
        for warning in emitted.warnings { printError("warning: not carried over: \(warning)") }
        let examples = emitted.examples.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        print(
            """
            TRL job for \(emitted.model) in \(emitted.directory) (\(examples.joined(separator: ", ")) examples)
            run it:  cd \(emitted.directory) && pip install -r requirements.txt && bash launch.sh single_gpu
                     (or multi_gpu, fsdp, deepspeed_zero3; see README.md)
            adapter: \(emitted.adapter)  (clarifycoder eval --adapter, clarifycoder export)
            """)
    }
}
