import IAMAWS
import IAMOrganization
