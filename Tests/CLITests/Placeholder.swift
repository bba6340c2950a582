import Testing
import Signing

